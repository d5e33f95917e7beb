"""Move every row of ``ratings.Discipline`` into the one register, keeping its id
(audit entries name rows by id). ``reason`` becomes ``violation``; the old table
knew no announcement date, so the decision date stands for it (the 12-month lapse
and the Quy định 80-QĐ/TW bars then count from the decision, as the rating app did)."""

from django.db import migrations

FIELDS = ("id", "member_id", "organisation_id", "unit_id", "form", "decided_on", "deciding_body",
          "self_detected", "document_ref", "reason")


def forwards(apps, schema_editor):
    Old = apps.get_model("ratings", "Discipline")
    New = apps.get_model("inspection", "DisciplineDecision")
    rows = [
        New(
            id=r["id"],
            member_id=r["member_id"],
            organisation_id=r["organisation_id"],
            unit_id=r["unit_id"],
            form=r["form"],
            decided_on=r["decided_on"],
            announced_on=r["decided_on"],
            deciding_body=r["deciding_body"],
            self_detected=r["self_detected"],
            document_ref=r["document_ref"],
            violation=r["reason"],
        )
        for r in Old.objects.order_by("pk").values(*FIELDS).iterator()
    ]
    New.objects.bulk_create(rows, batch_size=2000)
    if rows and schema_editor.connection.vendor == "postgresql":
        table = New._meta.db_table
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )


def backwards(apps, schema_editor):
    Old = apps.get_model("ratings", "Discipline")
    New = apps.get_model("inspection", "DisciplineDecision")
    Old.objects.bulk_create(
        [
            Old(
                id=r.id,
                member_id=r.member_id,
                organisation_id=r.organisation_id,
                unit_id=r.unit_id,
                form=r.form,
                decided_on=r.decided_on,
                deciding_body=r.deciding_body,
                self_detected=r.self_detected,
                document_ref=r.document_ref,
                reason=r.violation,
            )
            for r in New.objects.order_by("pk").iterator()
        ],
        batch_size=2000,
    )
    New.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0001_initial"),
        ("ratings", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

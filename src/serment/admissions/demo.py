"""Demo step for member development (filled in below)."""


def build(ctx) -> None:
    ctx.log("  admissions: nothing yet")

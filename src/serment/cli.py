"""The `serment` command: Django's management commands with Serment's settings.

`serment demo`, `serment import …`, `serment export …`, `serment report …` are
management commands of the apps; everything Django offers (migrate, runserver…) works too.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serment.settings")
    from django.core.management import execute_from_command_line

    from serment.core.cli_language import activate_for_command_line

    execute_from_command_line(["serment", *activate_for_command_line(sys.argv[1:], os.environ)])


if __name__ == "__main__":
    main()

"""The command line speaks English unless the user asks (``--lang`` or ``LANGUAGE``)."""

import pytest
from django.utils import translation

from serment.core.cli_language import activate_for_command_line, command_line_language


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["report", "ratings"], {}, ("en", ["report", "ratings"])),
        (["report", "ratings"], {"LANG": "vi_VN.UTF-8"}, ("en", ["report", "ratings"])),
        (["report", "ratings"], {"LANGUAGE": "vi"}, ("vi", ["report", "ratings"])),
        (["report", "ratings"], {"LANGUAGE": "de:fr_FR"}, ("fr", ["report", "ratings"])),
        (["report", "--lang", "vi", "ratings"], {"LANGUAGE": "fr"}, ("vi", ["report", "ratings"])),
        (["--lang=fr", "demo"], {}, ("fr", ["demo"])),
        (["--lang", "xx", "demo"], {}, ("en", ["demo"])),
    ],
)
def test_the_language_of_the_command_line(argv, env, expected):
    assert command_line_language(argv, env) == expected


def test_messages_follow_the_chosen_language():
    with translation.override("en"):
        activate_for_command_line(["--lang", "vi"], {})
        assert translation.gettext("COMMUNIST PARTY OF VIETNAM") == "ĐẢNG CỘNG SẢN VIỆT NAM"
        activate_for_command_line([], {})
        assert translation.get_language() == "en"

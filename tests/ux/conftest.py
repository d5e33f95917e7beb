"""UX tests reuse the oath and web fixtures on top of the shared ``world``."""

from tests.oath.conftest import campaign, campaign_2023  # noqa: F401
from tests.web.conftest import client, fast_password_hashing, web  # noqa: F401

"""A crawl as each role: from the home page, follow the site's links (bounded); no
page answers 5xx and no page shows a name outside the role's scope."""

import re
from collections import deque
from html import unescape

import pytest

from tests.web.conftest import ACTORS

from . import objects as o

MAX_PAGES = 40
HREF = re.compile(r'href="([^"#]+)"')
SKIP = ("/django-admin/", "/static/", "/logout/", "/i18n/")

CAROL, BOB, ALICE = "Phạm Thị Carol", "Lê Văn Bob", "Trần Thị Alice"
D2_SIDE = (CAROL, "Chi bộ thôn 3", "Đảng bộ xã 2", "Huyện ủy 2", "Campaign out", "Candidate out")
NOT_SEEN = {
    "admin": (),
    "outsider": (ALICE, BOB, "Chi bộ thôn 1", "Đảng bộ xã 1", "Campaign in", "Candidate in"),
    "d1_staff": D2_SIDE,
    "g1_staff": D2_SIDE,
    "leader": D2_SIDE,
    "inspector": D2_SIDE,
    "secretary": (*D2_SIDE, BOB),
    "alice_user": (*D2_SIDE, BOB),
    "nobody": (*D2_SIDE, BOB, ALICE),
}


def crawl(client, user) -> tuple[dict[str, int], dict[str, list[str]]]:
    """(status of each page visited, out-of-scope names found on each page)."""
    client.force_login(user)
    seen, queue = set(), deque(["/"])
    statuses, leaks = {}, {}
    while queue and len(statuses) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code in (301, 302) and response.url.startswith("/"):
            queue.append(response.url)
            continue
        if "text/html" not in response.get("Content-Type", "") or getattr(response, "streaming", False):
            continue
        html = unescape(response.content.decode())
        found = [
            name
            for name in NOT_SEEN[user.username if user.username != "alice" else "alice_user"]
            if name in html
        ]
        if found:
            leaks[url] = found
        for link in HREF.findall(html):
            link = unescape(link)
            if link.startswith("/") and not link.startswith("//") and not link.startswith(SKIP):
                queue.append(link)
    return statuses, leaks


@pytest.mark.slow
@pytest.mark.parametrize("actor", ACTORS)
def test_crawl_as_each_role(client, web, actor):
    for side in ("in", "out"):
        o.meeting(web, side)
        o.candidate(web, side)
        o.rating_round(web, side)
    statuses, leaks = crawl(client, getattr(web, actor))
    assert {u: s for u, s in statuses.items() if s >= 500} == {}
    assert leaks == {}
    if actor in ("admin", "d1_staff", "secretary"):
        assert len(statuses) == MAX_PAGES  # the crawl went well past the home page

"""Every page a citizen or a publisher meets speaks Chinese, CKAN's own interface included, and English under /en/.

CKAN 2.12's zh_Hans_CN catalogue leaves about half of CKAN's strings untranslated; ckanext-hlj's catalogue supplies
those these pages show (CKAN merges plugin catalogues into its own). The demo data is loaded and each page rendered
as its reader sees it; two checks then look for English:

* every string the page asked gettext to translate came back translated, unless CKAN's own translators keep it as
  it is (licence names, "CKAN API") or it is a brand;
* no visible text, placeholder, title or aria-label equals one of CKAN's or our English msgids (placeholders such
  as ``{name}`` match anything), which also catches English that never went through gettext.
"""

from __future__ import annotations

import re
from pathlib import Path

import ckan
import pytest
from babel import support
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Comment, Doctype
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.hlj import demo
from ckanext.hlj.demo.sysadmin import ensure_sysadmin

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

CKAN_I18N = Path(ckan.__file__).parent / "i18n"
OUR_PO = Path(__file__).resolve().parents[1] / "ckanext-hlj/i18n/zh_Hans_CN/LC_MESSAGES/ckanext-hlj.po"
BRANDS = {"Facebook", "X"}  # the social links' names: written in Latin letters in Chinese too
SEED = demo.SEED_DATASET["name"]

PAGES = [
    ("citizen", "/"),
    ("citizen", "/dataset/"),
    ("citizen", "/dataset/?q=许可"),
    ("citizen", "/dataset/?q=没有这样的记录"),
    ("citizen", "/dataset/?organization=harbin&dataset_type=disclosure&sort=published_date desc"),
    ("citizen", "/policy/"),
    ("citizen", "/disclosure/"),
    ("citizen", "/service-item/"),
    ("citizen", "/open-data/"),
    ("citizen", "/credit-publication/"),
    ("citizen", f"/policy/{SEED}"),
    ("citizen", "/policy/guobanfa-2016-80"),
    ("citizen", "/disclosure/scjgj-xzxk-jieguo"),
    ("citizen", "/service-item/zjt-xiaofang-sheji-shencha"),
    ("citizen", "/open-data/harbin-gongjiao-xianlu"),
    ("citizen", "/credit-publication/scjgj-xzcf-shuanggongshi"),
    ("citizen", f"/dataset/activity/{SEED}"),
    ("citizen", "/organization/"),
    ("citizen", "/organization/harbin"),
    ("citizen", "/organization/about/harbin"),
    ("citizen", "/organization/heihe"),
    ("citizen", "/user/login"),
    ("citizen", "/user/reset"),
    ("publisher", "/"),
    ("publisher", "/dashboard/"),
    ("publisher", "/dashboard/datasets"),
    ("publisher", "/dashboard/organizations"),
    ("publisher", "/user/publisher"),
    ("publisher", "/organization/harbin"),
    ("publisher", "/dataset/new"),
    ("publisher", "/policy/new"),
    ("publisher", "/disclosure/new"),
    ("publisher", "/service-item/new"),
    ("publisher", "/open-data/new"),
    ("publisher", "/credit-publication/new"),
    ("publisher", "/consultation/new"),
    ("publisher", "/response/new"),
    ("publisher", "/disclosure-application/new"),
    ("publisher", "/open-data/edit/harbin-gongjiao-xianlu"),
    ("publisher", "/open-data/harbin-gongjiao-xianlu/resource/new"),
    ("newcomer", "/dashboard/"),
    ("newcomer", "/dashboard/datasets"),
    ("newcomer", "/dashboard/organizations"),
    ("sysadmin", "/"),
    ("sysadmin", "/dashboard/"),
]


def _ids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _kept_by_ckan() -> set[str]:
    """msgids CKAN's Chinese catalogue translates as themselves (licence names, "CKAN API", example values)."""
    with (CKAN_I18N / "zh_Hans_CN/LC_MESSAGES/ckan.mo").open("rb") as f:
        kept = {m.id if isinstance(m.id, str) else m.id[0] for m in read_mo(f) if m.id and m.string == m.id}
    with OUR_PO.open("rb") as f:
        corrected = _ids(read_po(f))
    return kept - corrected


def _english(msgid: object) -> bool:
    return (
        isinstance(msgid, str)
        and re.search(r"[A-Za-z]{2}", msgid) is not None
        and re.search(r"[\u3400-\u9fff]", msgid) is None  # a lookup of Chinese data, not a UI string
        and re.fullmatch(r"\S*(://|@)\S*", msgid) is None  # an example URL or address
    )


def _pattern(msgid: str) -> re.Pattern | None:
    """The text a msgid renders as, with its placeholders matching anything; None when too little is literal."""
    if "<" in msgid:
        return None  # markup: its text is split across elements
    parts = re.split(r"\{[^{}]*\}|%\([^)]*\)[sd]|%[sd]", " ".join(msgid.split()))
    if sum(len(re.sub(r"[^A-Za-z]", "", p)) for p in parts) < 3:
        return None
    return re.compile(".+".join(re.escape(p) for p in parts))


@pytest.fixture(scope="module")
def english_msgids() -> list[tuple[str, re.Pattern]]:
    with (CKAN_I18N / "ckan.pot").open("rb") as f:
        ids = _ids(read_po(f))
    with OUR_PO.open("rb") as f:
        ids |= _ids(read_po(f))
    ignored = _kept_by_ckan() | BRANDS
    patterns = [(i, _pattern(i)) for i in sorted(ids) if _english(i) and i not in ignored]
    return [(i, p) for i, p in patterns if p]


def visible_texts(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    for element in soup(["script", "style", "template", "noscript"]):
        element.decompose()
    # Not interface text: a resource view's title (data, named when the view was made: the demo's default views
    # are titled "Text") and the licence's title (CKAN caches it in the search index in the language of the request
    # that indexed the record). Not a catalogue matter: the activity-type filter prints CKAN's type names as they
    # are ("Follow Dataset").
    data_or_untranslatable = (
        "a[href*='view_id=']",
        ".license [rel='dc:rights']",
        ".license [property='dc:rights']",
        "#activity_types_filter option",
    )
    for element in soup.select(", ".join(data_or_untranslatable)):
        element.decompose()
    texts = [
        " ".join(node.split())
        for node in soup.find_all(string=True)
        if not isinstance(node, (Comment, Doctype)) and node.strip()
    ]
    for element in soup.find_all(True):
        for attribute in ("placeholder", "title", "aria-label", "alt", "data-bs-title"):
            if isinstance(element.get(attribute), str) and element[attribute].strip():
                texts.append(" ".join(element[attribute].split()))
    return texts


@pytest.fixture
def portal(tmp_path):
    """The demo portal, and request headers of each kind of reader."""
    admin, _ = ensure_sysadmin("admin", "admin@hlj.invalid", tmp_path / "admin.json")
    demo.load(admin.user)
    factories.User(name="publisher", fullname="哈尔滨市政府信息公开专员")
    factories.User(name="newcomer", fullname="新用户")
    call_action(
        "organization_member_create",
        context={"user": "admin"},
        id="harbin",
        username="publisher",
        role="editor",
    )

    def token(user: str) -> dict[str, str]:
        made = call_action("api_token_create", context={"user": user}, user=user, name="ui")
        return {"Authorization": made["token"]}

    return {
        "citizen": {},
        "publisher": token("publisher"),
        "newcomer": token("newcomer"),
        "sysadmin": token("admin"),
    }


@pytest.fixture
def lookups(monkeypatch):
    """Every msgid gettext is asked for while pages render, and whether it came back untranslated."""
    seen: list[tuple[object, bool]] = []

    def recording(name: str):
        original = getattr(support.Translations, name)
        plural = name == "ungettext"

        def lookup(self, *args):
            result = original(self, *args)
            seen.append((args[0], result in args[:2] if plural else result == args[0]))
            return result

        return lookup

    monkeypatch.setattr(support.Translations, "ugettext", recording("ugettext"))
    monkeypatch.setattr(support.Translations, "ungettext", recording("ungettext"))
    return seen


def test_pages_show_no_english(app, portal, lookups, english_msgids):
    kept = _kept_by_ckan() | BRANDS

    def english_on(html: str) -> list[str]:
        texts = set(visible_texts(html))
        return sorted({text for text in texts for _, pattern in english_msgids if pattern.fullmatch(text)})

    english: dict[str, list[str]] = {}
    untranslated: dict[str, list[str]] = {}
    for who, url in PAGES:
        lookups.clear()
        html = app.get(url, headers=portal[who], status=200).body
        if found := english_on(html):
            english[f"{who} {url}"] = found
        if missed := sorted({m for m, raw in lookups if raw and _english(m) and m not in kept}):
            untranslated[f"{who} {url}"] = missed
    # Pages with a message: a failed login, a form sent back with errors, a dataset that does not exist.
    messages = {
        "login failure": app.post("/user/login", data={"login": "admin", "password": "wrong"}),
        "form errors": app.post(
            "/policy/new", data={"title": "缺少发布机构的文件"}, headers=portal["publisher"]
        ),
        "not found": app.get("/dataset/no-such-record", status=404),
    }
    for page, response in messages.items():
        if found := english_on(response.body):
            english[page] = found
    assert english == {}, "English interface strings on these pages"
    assert untranslated == {}, "strings these pages asked gettext for that have no Chinese translation"


def test_english_is_offered(app, portal):
    with OUR_PO.open("rb") as f:
        chinese = {m.string for m in read_po(f) if m.id and isinstance(m.string, str) and m.string}
    with (CKAN_I18N / "zh_Hans_CN/LC_MESSAGES/ckan.mo").open("rb") as f:
        chinese |= {m.string for m in read_mo(f) if m.id and isinstance(m.string, str) and m.string}
    chinese = {" ".join(s.split()) for s in chinese if re.search(r"[\u3400-\u9fff]", s)}
    expected = {
        "/en/": ["Browse by category", "Latest publications", "Policy document"],
        "/en/dataset/": ["Order by", "Newest first", "Type", "Region", "Policy document"],
        f"/en/policy/{SEED}": ["Additional Info", "Interpretations"],
        "/en/organization/harbin": ["Type", "Region"],
        "/en/user/login": ["Username or Email", "Password"],
    }
    for url, strings in expected.items():
        soup = BeautifulSoup(app.get(url, status=200).body, "html.parser")
        assert soup.html["lang"] == "en", url
        texts = visible_texts(str(soup))
        for string in strings:
            assert string in texts, (url, string)
        assert sorted(set(texts) & chinese) == [], url
    assert (
        BeautifulSoup(app.get(f"/en/policy/{SEED}").body, "html.parser")
        .title.get_text()
        .startswith("关于全面推进政务公开工作的实施意见 - Policy documents - ")
    )
    for url in ("/en/dashboard/datasets", "/en/policy/new"):
        texts = visible_texts(app.get(url, headers=portal["publisher"], status=200).body)
        assert sorted(set(texts) & chinese) == [], url

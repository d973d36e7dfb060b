"""The registry: validated on load, errors that name file, entry and field; one spider per entry."""

import subprocess
import sys

import pytest

from crawler.registry import RegistryError, load_registry
from crawler.spiderloader import RegistrySpiderLoader
from spiders import PLATFORM_SPIDERS
from tests.conftest import ROOT

ENTRY = """\
  - id: {id}
    name: Xã Cẩm Tú
    province: Thanh Hóa
    level: {level}
    platform: {platform}
    base_url: {url}
"""


def write(tmp_path, *entries, name="reg.yaml"):
    path = tmp_path / name
    path.write_text("portals:\n" + "".join(ENTRY.format(**{"id": "camtu", "level": "commune", "platform": "vnpt",
                                                           "url": "https://camtu.thanhhoa.gov.vn", **e}) for e in entries))
    return path


def test_the_shipped_registry_holds_the_real_portals():
    registry = load_registry(ROOT / "portals.yaml")
    assert {"muonglat", "camtu", "quanhoa", "nongcong", "baolaocai", "baothanhhoa"} <= set(registry.ids)
    assert registry.get("baothanhhoa").render == "browser"
    assert {p.platform for p in registry.portals} == {"vnpt", "sharepoint", "newspaper-baolaocai", "newspaper-baothanhhoa"}


def test_error_names_file_entry_and_field(tmp_path):
    path = write(tmp_path, {}, {"id": "xa2", "level": "village"})
    with pytest.raises(RegistryError) as error:
        load_registry(path)
    message = str(error.value)
    assert str(path) in message and "portals[1]" in message and "'xa2'" in message and "'level'" in message


@pytest.mark.parametrize("entry, fragment", [
    ({"platform": "joomla"}, "unknown platform 'joomla'"),
    ({"url": "camtu.thanhhoa.gov.vn"}, "absolute http(s) URL"),
    ({"id": "Cẩm Tú"}, "'id'"),
])
def test_invalid_fields(tmp_path, entry, fragment):
    with pytest.raises(RegistryError, match="portals\\[0\\]") as error:
        load_registry(write(tmp_path, entry))
    assert fragment in str(error.value)


def test_duplicate_ids_and_missing_file(tmp_path):
    with pytest.raises(RegistryError, match="duplicate portal id 'camtu'"):
        load_registry(write(tmp_path, {}, {}))
    with pytest.raises(RegistryError, match="not found"):
        load_registry(tmp_path / "missing.yaml")
    (tmp_path / "broken.yaml").write_text("portals:\n  - id: [\n")
    with pytest.raises(RegistryError, match="line 3 invalid YAML"):
        load_registry(tmp_path / "broken.yaml")


def test_environment_selects_the_registry(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTALS_REGISTRY", str(write(tmp_path, {"id": "only"})))
    assert load_registry().ids == ["only"]


def test_selector_overrides_are_validated(tmp_path):
    path = write(tmp_path, {})
    path.write_text(path.read_text() + "    selectors: {body: '.noi-dung', colour: red}\n")
    with pytest.raises(RegistryError, match="selectors.colour"):
        load_registry(path)


def test_one_spider_class_per_platform_one_spider_per_portal():
    loader = RegistrySpiderLoader(load_registry(ROOT / "portals.yaml"))
    assert sorted(loader.list()) == sorted(load_registry(ROOT / "portals.yaml").ids)
    camtu, muonglat = loader.load("camtu"), loader.load("muonglat")
    assert camtu.name == "camtu" and camtu.portal.host == "camtu.thanhhoa.gov.vn"
    assert camtu.__mro__[1] is muonglat.__mro__[1] is PLATFORM_SPIDERS["vnpt"]
    with pytest.raises(KeyError):
        loader.load("nowhere")


def test_scrapy_list_shows_every_registry_entry(tmp_path):
    registry = write(tmp_path, {}, {"id": "muonglat", "url": "https://muonglat.thanhhoa.gov.vn"},
                     {"id": "quanhoa", "platform": "sharepoint", "level": "district", "url": "https://quanhoa.thanhhoa.gov.vn"})
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True,
                            env={**__import__("os").environ, "PORTALS_REGISTRY": str(registry)}, check=True)
    assert listed.stdout.split() == ["camtu", "muonglat", "quanhoa"]

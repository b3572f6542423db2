"""One distribution, ckanext-hlj, whose folders map into ckanext.hlj — editable and as a wheel."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAPPED = {
    "ckanext.hlj": "ckanext-hlj",
    "ckanext.hlj.schemas": "schemas",
    "ckanext.hlj.harvesters": "harvesters",
    "ckanext.hlj.catalogue": "catalogue",
}
DATA_FILES = (
    "ckanext/hlj/config_declaration.yaml",
    "ckanext/hlj/catalogue/data/organizations.yaml",
    "ckanext/hlj/demo/seed-2017-zhengwu-gongkai-shishi-yijian.txt",
)


def test_editable_install_maps_each_folder():
    import importlib  # noqa: PLC0415

    for package, folder in MAPPED.items():
        module = importlib.import_module(package)
        assert Path(module.__file__).parent == ROOT / folder, package


def test_editable_install_registers_the_plugin():
    from importlib.metadata import entry_points  # noqa: PLC0415

    (plugin,) = [ep for ep in entry_points(group="ckan.plugins") if ep.name == "hlj"]
    assert plugin.load().__name__ == "HljPlugin"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        cwd=out,
    )
    (built,) = out.glob("ckanext_hlj-*.whl")
    return built


def test_wheel_contains_code_and_data_but_not_the_namespace(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in MAPPED:
        assert f"{package.replace('.', '/')}/__init__.py" in names, package
    for data in DATA_FILES:
        assert data in names, data
    assert "ckanext/__init__.py" not in names, "ckanext must stay a namespace shared with CKAN"
    assert not any(n.startswith(("tests/", "solr/", "scripts/", "docker/")) for n in names)


def test_wheel_installs_imports_and_loads_the_plugin(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(
        subprocess.run(
            [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # CKAN and its dependencies come from the project's virtualenv; only our package comes from the wheel.
    (site / "project-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
    )
    probe = textwrap.dedent(
        """
        from importlib.metadata import entry_points
        import ckanext.hlj
        from ckanext.hlj.catalogue.organizations import public_bodies
        from ckanext.hlj import demo
        (ep,) = [e for e in entry_points(group="ckan.plugins") if e.name == "hlj"]
        print(ckanext.hlj.__file__)
        print(ep.load().__name__, len(public_bodies()), len(demo.seed_text()) > 1000)
        """
    )
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", probe], check=True, capture_output=True, text=True, cwd=tmp_path
    )
    location, loaded = result.stdout.strip().splitlines()
    assert location.startswith(str(site)), location
    plugin_name, bodies, has_seed = loaded.split()
    assert plugin_name == "HljPlugin"
    assert int(bodies) == 34
    assert has_seed == "True"

"""Maps the repository's top-level folders onto the ``ckanext.hlj`` package tree.

Metadata lives in pyproject.toml; only the layout is here, because the design keeps schemas, harvesters and the
catalogue as top-level folders while they import as ``ckanext.hlj.schemas``, ``.harvesters`` and ``.catalogue``.
``ckanext`` itself stays an implicit namespace package shared with CKAN and other extensions.
"""

from setuptools import find_packages, setup

ROOTS = {
    "ckanext.hlj": "ckanext-hlj",
    "ckanext.hlj.schemas": "schemas",
    "ckanext.hlj.harvesters": "harvesters",
    "ckanext.hlj.catalogue": "catalogue",
}


def mapped_packages() -> tuple[list[str], dict[str, str]]:
    packages, package_dir = [], {}
    for package, folder in ROOTS.items():
        packages.append(package)
        package_dir[package] = folder
        for sub in find_packages(folder):
            name = f"{package}.{sub}"
            if name not in ROOTS:
                packages.append(name)
                package_dir[name] = f"{folder}/{sub.replace('.', '/')}"
    return packages, package_dir


packages, package_dir = mapped_packages()

setup(
    packages=packages,
    package_dir=package_dir,
    package_data={
        "ckanext.hlj": [
            "config_declaration.yaml",
            "templates/**/*",
            "public/**/*",
            "assets/**/*",
            "i18n/**/*",
            "demo/**/*",
        ],
        "ckanext.hlj.schemas": ["*.yaml", "*.json"],
        "ckanext.hlj.catalogue": ["data/*"],
        "ckanext.hlj.harvesters": ["*.yaml"],
    },
    include_package_data=False,
    zip_safe=False,
)

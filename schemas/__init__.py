"""ckanext-scheming schemas of the platform's dataset and organization types (YAML files beside this module)."""

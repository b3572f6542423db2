"""Harvesters (ckanext-harvest plugins) that bring department sites, the credit system and city portals in."""

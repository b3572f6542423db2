"""Business logic of ckanext-hlj: validators now; actions, auth and schemas as they come."""

"""What the adapters (ncb.api, ncb.web, ncb.cli) share: request dependencies such as the caller.

Both the API and the workbench import from here, so neither imports the other.
"""

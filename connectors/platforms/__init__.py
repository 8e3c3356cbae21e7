"""One module per chat platform, named after it; each defines one ``Connector`` subclass.

The registry finds them here (``connectors.registry``): adding a module adds the platform to
the webhook routes, the settings, the CLI's choices and the connector test matrix.
"""

"""Lambda entry points, one module per audience; each is thin: parse, call a service, respond."""

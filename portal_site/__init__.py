"""The portal's static site: MkDocs configuration, theme overrides, scripts and the pre-build step."""

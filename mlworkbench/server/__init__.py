"""The jupyter-server extension: thin REST adapters over ``mlworkbench.core``."""

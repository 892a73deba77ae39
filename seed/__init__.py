"""Reference facts, the shipped official data (compressed) and the demo content that
``efa-registry seed`` loads. Data only: the core's loaders get this directory passed in."""

from pathlib import Path

# The package's directory, not importlib.resources: an editable install made while seed/ had
# no __init__.py registers it as a namespace package, which importlib.resources cannot read.
SEED_DIR = Path(__file__).resolve().parent

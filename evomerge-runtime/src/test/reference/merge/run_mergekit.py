"""Runs mergekit-yaml from the reference checkout, with one compatibility fix applied at run time.

mergekit pins pydantic ~=2.10; the reference venv has pydantic 2.13, whose create_model turns the plain functions
that mergekit's @merge_method decorator passes (execute, arguments, ...) into fields, so multislerp, nearswap, sce,
ram and ramplus_tl fail with "Can't instantiate abstract class". This wrapper makes create_model put functions in
a subclass body instead, which is what pydantic 2.10 did. The checkout itself is not modified.

Usage: run_mergekit.py CONFIG OUT_DIR [mergekit-yaml options]   (PYTHONPATH must hold the shims and the checkout;
make_goldens.py sets it.)
"""
import runpy

import pydantic

_create_model = pydantic.create_model


def _create_model_with_methods(model_name, /, **kwargs):
    methods = {k: v for k, v in kwargs.items() if callable(v) and not isinstance(v, (tuple, type))}
    fields = {k: v for k, v in kwargs.items() if k not in methods}
    model = _create_model(model_name, **fields)
    return type(model_name, (model,), methods) if methods else model


pydantic.create_model = _create_model_with_methods
runpy.run_module("mergekit.scripts.run_yaml", run_name="__main__")

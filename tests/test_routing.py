"""A route calls each hook the cheapest way that still gives pluggy's answer: whatever the
plugins answer, in whatever order pluggy asks them (last registered first, ``tryfirst``
and ``trylast``), with wrappers and arguments that have defaults, the route's call and
pluggy's own agree."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from payerkit import hookimpl
from payerkit.manager import new_plugin_manager
from payerkit.routing import _caller

KWARGS = {"program": "P", "case": "C", "visit": "V", "as_of": "D", "facts": "F"}
#: What an implementation answers, how it is ordered, and how it takes its arguments.
IMPL = st.tuples(st.sampled_from([None, "a", "b", ["x"], []]),
                 st.sampled_from(["", "tryfirst", "trylast"]),
                 st.sampled_from(["plain", "default", "wrapper"]))


def plugin(hook: str, answer, order: str, shape: str, n: int):
    marks = {order: True} if order else {}
    if shape == "wrapper":
        def wrap(case):
            result = yield
            return [*result, f"wrapped {n}"] if isinstance(result, list) else result
        impl = hookimpl(specname=hook, wrapper=True, **marks)(wrap)
    elif shape == "default":
        def answering(case, visit=None):
            return [answer, visit] if isinstance(answer, list) else answer
        impl = hookimpl(specname=hook, **marks)(answering)
    else:
        def answering(case, as_of):
            return answer
        impl = hookimpl(specname=hook, **marks)(answering)
    return type(f"Plugin{n}", (), {hook: staticmethod(impl)})()


@settings(max_examples=300, deadline=None)
@given(impls=st.lists(IMPL, max_size=5),
       hook=st.sampled_from(["payerkit_units", "payerkit_outcomes"]))
def test_a_route_answers_what_pluggy_answers(impls, hook):
    pm = new_plugin_manager()
    for n, (answer, order, shape) in enumerate(impls):
        pm.register(plugin(hook, answer, order, shape, n), name=f"p{n}")
    assert _caller(pm, hook)(dict(KWARGS)) == getattr(pm.hook, hook)(**KWARGS)


def test_a_hook_nobody_implements_is_not_called():
    pm = new_plugin_manager()
    assert _caller(pm, "payerkit_units")(KWARGS) is None
    assert _caller(pm, "payerkit_outcomes")(KWARGS) == []

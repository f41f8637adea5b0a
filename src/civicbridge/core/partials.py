"""The lists' htmx swaps: one address answers the whole page or, for the filters' swap, its results."""


def results_template(request, template: str) -> str:
    """``template``, or its ``results`` partial when htmx asks to swap the results only."""
    if request.htmx and request.htmx.target == "results":
        return f"{template}#results"
    return template

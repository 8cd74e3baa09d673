"""Blocks that apps above credentials add to the leader's portfolio page (employers: "may
employers find me" and the requests received), without credentials importing them."""

_sections: list[tuple[int, str]] = []


def add_portfolio_section(template: str, order: int = 50) -> None:
    """The template is included in the portfolio page with the page's context."""
    if any(name == template for _order, name in _sections):
        return
    _sections.append((order, template))


def portfolio_sections() -> list[str]:
    return [name for _order, name in sorted(_sections)]

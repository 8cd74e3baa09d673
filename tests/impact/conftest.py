import pytest

from .factories import build_dataset

YEAR = 2025


@pytest.fixture
def dataset(city):
    return build_dataset(city, YEAR)

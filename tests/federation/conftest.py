import pytest

from .mastodon import FakeMastodon


@pytest.fixture
def mastodon():
    server = FakeMastodon()
    yield server
    server.close()


@pytest.fixture
def fediverse(settings, mastodon):
    """The fake instance listens on 127.0.0.1: let the platform call it (production
    refuses loopback addresses, see test_remote.py)."""
    settings.FEDERATION_ALLOW_PRIVATE_ADDRESSES = True
    return mastodon

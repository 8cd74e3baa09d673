"""The https path of federation/remote.py, the one production takes: the connection is
made to the address checked, and the certificate is still checked for the host name."""

import ipaddress
import json
import ssl
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from interra.federation import remote


def _certificate(subject_key, issuer_key, subject, issuer, *, ca: bool, sans=()):
    now = datetime.now(UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(subject_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - timedelta(hours=1))
               .not_valid_after(now + timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False,
            encipher_only=False, decipher_only=False), critical=True)
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()), critical=False)
    else:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture
def tls_server(tmp_path):
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    ca = _certificate(ca_key, ca_key, ca_name, ca_name, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(key, ca_key,
                        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]),
                        ca_name, ca=False,
                        sans=[x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = json.dumps({"id": "https://127.0.0.1/users/alice"}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], str(tmp_path / "ca.pem")
    server.shutdown()
    server.server_close()


def test_https_checks_the_certificate_of_the_host_it_pinned(tls_server, settings,
                                                            monkeypatch):
    port, ca_file = tls_server
    settings.FEDERATION_ALLOW_PRIVATE_ADDRESSES = True  # the test server is on loopback
    # Trust the test's CA; everything else is the production path.
    default_context = ssl.create_default_context
    monkeypatch.setattr(remote.ssl, "create_default_context",
                        lambda: default_context(cafile=ca_file))
    assert remote.fetch_json(f"https://127.0.0.1:{port}/users/alice")["id"].endswith("alice")
    # Another name resolved to the same address (DNS says what it likes): the connection
    # goes to the checked address, and the certificate, which does not name that host,
    # is refused.
    monkeypatch.setattr(remote, "_public_address", lambda host, port: "127.0.0.1")
    with pytest.raises(remote.RemoteError, match="CERTIFICATE_VERIFY_FAILED|match"):
        remote.fetch_json(f"https://other.example:{port}/users/alice")
    # Without the test's CA, the certificate is not trusted.
    monkeypatch.undo()
    with pytest.raises(remote.RemoteError, match="CERTIFICATE_VERIFY_FAILED"):
        remote.fetch_json(f"https://127.0.0.1:{port}/users/alice")

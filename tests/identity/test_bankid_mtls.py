"""Mutual TLS: with a certificate the client presents it and trusts only the configured CA
(BankID's server CA pinned); without one it cannot reach a server that demands it."""

from __future__ import annotations

import datetime as dt
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ledgerport.identity.bankid import BankIDClient, BankIDUnavailable


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject: str, key, issuer: str, issuer_key, *, ca=False, usage=None, san=None):  # type: ignore[no-untyped-def]
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path, *items):  # type: ignore[no-untyped-def]
    data = b""
    for item in items:
        if isinstance(item, x509.Certificate):
            data += item.public_bytes(serialization.Encoding.PEM)
        else:
            data += item.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
    path.write_bytes(data)
    return str(path)


@pytest.fixture
def pki(tmp_path):
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("Test BankID Root CA", ca_key, "Test BankID Root CA", ca_key, ca=True)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _cert("localhost", server_key, "Test BankID Root CA", ca_key, san="localhost")
    rp_key = ec.generate_private_key(ec.SECP256R1())
    rp = _cert("FP Testcert", rp_key, "Test BankID Root CA", ca_key, usage=ExtendedKeyUsageOID.CLIENT_AUTH)
    return {
        "ca": _write(tmp_path / "ca.pem", ca),
        "server": _write(tmp_path / "server.pem", server, server_key),
        "rp_cert": _write(tmp_path / "rp.pem", rp),
        "rp_key": _write(tmp_path / "rp.key", rp_key),
    }


@pytest.fixture
def mtls_server(pki):
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            peer = self.connection.getpeercert()
            seen.append(dict(x[0] for x in peer["subject"])["commonName"])
            body = json.dumps({"orderRef": "r", "status": "pending", "hintCode": "outstandingTransaction"})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: object) -> None:
            pass

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=pki["ca"])
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_cert_chain(pki["server"])
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://localhost:{server.server_address[1]}/rp/v6.0", seen
    server.shutdown()
    server.server_close()


def test_the_rp_certificate_is_presented_and_the_server_ca_pinned(pki, mtls_server):
    url, seen = mtls_server
    with BankIDClient(url, cert=pki["rp_cert"], key=pki["rp_key"], ca=pki["ca"], timeout=5) as client:
        assert client.collect("r").hint_code == "outstandingTransaction"
    assert seen == ["FP Testcert"]


def test_without_the_certificate_or_with_another_ca_there_is_no_answer(pki, mtls_server, tmp_path):
    url, seen = mtls_server
    with BankIDClient(url, ca=pki["ca"], timeout=5) as client, pytest.raises(BankIDUnavailable):
        client.collect("r")
    other_key = ec.generate_private_key(ec.SECP256R1())
    other_ca = _write(tmp_path / "other.pem", _cert("Other CA", other_key, "Other CA", other_key, ca=True))
    pinned_elsewhere = BankIDClient(url, cert=pki["rp_cert"], key=pki["rp_key"], ca=other_ca, timeout=5)
    with pinned_elsewhere as client, pytest.raises(BankIDUnavailable):
        client.collect("r")
    assert seen == []

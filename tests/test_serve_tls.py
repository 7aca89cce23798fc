"""`rolodex serve --ssl-certfile --ssl-keyfile`, run for real: a self-signed certificate made here
(for 127.0.0.1 and the vendors' API hosts, as the README shows with openssl), and HTTPS clients
that verify the server against it, by address and by the vendor's host name, as client code that
insists on https://api.ticketevolution.com does once the name points at Rolodex."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
import orjson
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.test_serve import GRACEFUL_EXIT, create_account, server

NAMES = ("api.ticketevolution.com", "*.halopsa.com", "*.viewcases.com", "app.kickserv.com")


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, localhost and NAMES, signed by its own key; its PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Rolodex test")])
    now = datetime.now(UTC)
    names: list[x509.GeneralName] = [x509.DNSName(n) for n in ("localhost", *NAMES)]
    names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "rolodex-cert.pem", directory / "rolodex-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def signed(
    account: dict[str, Any], method: str, host: str, path: str, body: bytes
) -> dict[str, str]:
    message = f"{method} {host}{path}?".encode() + body
    digest = hmac.new(account["tevo"]["secret"].encode(), message, hashlib.sha256).digest()
    return {
        "X-Token": account["tevo"]["token"],
        "X-Signature": base64.b64encode(digest).decode(),
        "Content-Type": "application/json",
    }


def test_serve_answers_https_verified_against_its_certificate(
    fresh_url: str, tmp_path: Path
) -> None:
    cert, key = self_signed(tmp_path)
    trusted = ssl.create_default_context(cafile=str(cert))
    account = create_account(fresh_url)
    log_path = tmp_path / "serve.log"
    tls = ("--ssl-certfile", str(cert), "--ssl-keyfile", str(key))
    with (
        server(fresh_url, log_path, workers=1, args=tls, tls=trusted) as running,
        httpx2.Client(base_url=running.base, timeout=30.0, trust_env=False, verify=trusted) as http,
    ):
        assert running.base.startswith("https://127.0.0.1:")
        assert http.get("/healthz").json() == {"status": "ok"}
        native = http.get(
            "/v1/clients", headers={"Authorization": f"Bearer {account['native']['api_key']}"}
        )
        assert native.status_code == 200 and native.json()["data"] == []

        # A client that does not trust the certificate refuses the server; plain HTTP gets no
        # answer from the TLS port.
        untrusting = httpx2.Client(base_url=running.base, trust_env=False)
        plain = httpx2.Client(
            base_url=running.base.replace("https", "http"), trust_env=False, timeout=2.0
        )
        with untrusting, pytest.raises(httpx2.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            untrusting.get("/healthz")
        with plain, pytest.raises(httpx2.TransportError):
            plain.get("/healthz")

        # TEvo client code talking to https://api.ticketevolution.com, the name pointing here:
        # the certificate is checked for that name (SNI), the request carries it as Host, and
        # the signature is over the host and path the client sent.
        tevo = "api.ticketevolution.com"
        vendor = {"sni_hostname": tevo}
        body = orjson.dumps({"clients": [{"name": "Lenny Leonard"}]})
        created = http.post(
            "/v9/clients",
            content=body,
            headers={**signed(account, "POST", tevo, "/v9/clients", body), "Host": tevo},
            extensions=vendor,
        )
        assert created.status_code == 201, created.text
        one = f"/v9/clients/{created.json()['clients'][0]['id']}"
        shown = http.get(
            one, headers={**signed(account, "GET", tevo, one, b""), "Host": tevo}, extensions=vendor
        )
        assert shown.status_code == 200 and shown.json()["name"] == "Lenny Leonard"

        # Halo at a tenant's host: where its token endpoint is comes back as https.
        tenant = account["halo"]["tenant"]
        halo = f"{tenant}.halopsa.com"
        info = http.get(
            f"/api/authinfo?tenant={tenant}",
            headers={"Host": halo},
            extensions={"sni_hostname": halo},
        )
        assert info.status_code == 200, info.text
        assert info.json()["token_url"] == f"https://{halo}/auth/token"
    log = log_path.read_text()
    assert "Uvicorn running on https://127.0.0.1" in log, log
    assert "Traceback" not in log, log
    assert running.returncode in GRACEFUL_EXIT, log

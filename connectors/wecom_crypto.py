"""WeCom (企业微信) callback crypto — the WXBizMsgCrypt scheme, written with ``cryptography``.

Tencent ships WXBizMsgCrypt only as sample code (pycryptodome, not on PyPI), so this is our own
port, checked against the vectors from Tencent's PHP and Python samples:

- ``msg_signature = sha1("".join(sorted([token, timestamp, nonce, encrypt])))``
- ``AESKey = b64decode(EncodingAESKey + "=")`` (32 bytes); AES-256-CBC with IV = AESKey[:16]
- plaintext = random(16) | len(msg) as 4-byte big-endian | msg | receiveid, PKCS#7 to 32 bytes
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import struct
import xml.etree.ElementTree as ET

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .base import PayloadError, VerificationError, secrets_equal

_BLOCK = 32  # WeCom pads to 32 bytes, not the AES block size


class WXBizMsgCrypt:
    def __init__(self, token: str, encoding_aes_key: str) -> None:
        self.token = token
        try:
            self.key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error:
            raise ValueError("EncodingAESKey is not valid base64") from None
        if len(self.key) != 32:
            raise ValueError("EncodingAESKey must be 43 characters (32 bytes)")

    def signature(self, timestamp: str, nonce: str, encrypt: str) -> str:
        return hashlib.sha1(
            "".join(sorted([self.token, timestamp, nonce, encrypt])).encode()
        ).hexdigest()

    def check_signature(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> None:
        if not secrets_equal(msg_signature, self.signature(timestamp, nonce, encrypt)):
            raise VerificationError("invalid WeCom msg_signature")

    def decrypt(self, encrypt: str) -> tuple[str, str]:
        """Return ``(message, receiveid)``; any malformation is a VerificationError."""
        try:
            cipher = base64.b64decode(encrypt, validate=True)
            dec = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).decryptor()
            padded = dec.update(cipher) + dec.finalize()
            pad = padded[-1]
            if not 1 <= pad <= _BLOCK or padded[-pad:] != bytes([pad]) * pad:
                raise ValueError("bad padding")
            content = padded[16:-pad]
            (length,) = struct.unpack(">I", content[:4])
            if length > len(content) - 4:
                raise ValueError("bad length")
            return content[4 : 4 + length].decode(), content[4 + length :].decode()
        except (ValueError, IndexError, struct.error, binascii.Error):
            raise VerificationError("cannot decrypt WeCom message") from None

    def encrypt(self, message: str, receive_id: str, *, random16: bytes | None = None) -> str:
        msg = message.encode()
        plain = (
            (random16 or os.urandom(16)) + struct.pack(">I", len(msg)) + msg + receive_id.encode()
        )
        pad = _BLOCK - len(plain) % _BLOCK
        enc = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).encryptor()
        return base64.b64encode(enc.update(plain + bytes([pad]) * pad) + enc.finalize()).decode()

    def reply_xml(self, message: str, receive_id: str, timestamp: str, nonce: str) -> str:
        """Passive reply envelope of a self-built app (XML)."""
        encrypt = self.encrypt(message, receive_id)
        sig = self.signature(timestamp, nonce, encrypt)
        return (
            f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt><MsgSignature><![CDATA[{sig}]]></MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>"
        )

    def reply_json(self, message: str, timestamp: str, nonce: str, receive_id: str = "") -> str:
        """Passive reply envelope of an intelligent robot (JSON)."""
        encrypt = self.encrypt(message, receive_id)
        sig = self.signature(timestamp, nonce, encrypt)
        return json.dumps(
            {"encrypt": encrypt, "msgsignature": sig, "timestamp": timestamp, "nonce": nonce}
        )


_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)


def parse_xml(data: bytes | str) -> dict[str, str]:
    """Flat ``<xml><Tag>value</Tag>...</xml>`` → dict. DTDs are refused (entity expansion)."""
    raw = data.encode() if isinstance(data, str) else data
    if _DTD.search(raw):
        raise PayloadError("XML with a DTD is not accepted")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        raise PayloadError("body is not valid XML") from None
    return {child.tag: (child.text or "") for child in root}

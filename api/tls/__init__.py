"""TLS for the API: development certificates."""

from api.tls.dev_certificates import DEFAULT_HOSTS, DevCertificates, make_dev_certificates

__all__ = ["DEFAULT_HOSTS", "DevCertificates", "make_dev_certificates"]

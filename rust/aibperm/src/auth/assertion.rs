//! Client assertions: a service principal's certificate, and workload identity federation.
//!
//! Both sign in through azure_identity's `ClientAssertionCredential`, with the same reqwest
//! client and authority host as the client-secret source. A certificate assertion is a JWT
//! signed here with the certificate's private key (RS256, `x5t` = SHA-1 thumbprint); a
//! federated assertion is the token in a file, read again for every token request because
//! the platform (Kubernetes, a CI system) replaces it before it expires.

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use azure_core::cloud::{CloudConfiguration, CustomConfiguration};
use azure_core::http::{ClientMethodOptions, ClientOptions, Transport};
use azure_identity::{
    ClientAssertion, ClientAssertionCredential, ClientAssertionCredentialOptions,
};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rcgen::SigningKey as _;
use secrecy::{ExposeSecret, SecretString};

use super::CredentialTokenSource;
use crate::arm::retry::SharedClock;
use crate::{Error, Result};

/// How long a signed certificate assertion is valid.
const ASSERTION_LIFETIME_SECONDS: i64 = 10 * 60;

/// Where the certificate and its private key come from.
pub enum CertificateSource {
    /// A PEM file holding the certificate and an unencrypted PKCS#8 `PRIVATE KEY`.
    Path(PathBuf),
    /// The same PEM text, already in memory (the module converts a PFX file to it).
    Pem(SecretString),
}

/// Signs client assertions with a certificate's RSA key.
struct CertificateAssertion {
    key: rcgen::KeyPair,
    thumbprint: String,
    client_id: String,
    audience: String,
}

impl std::fmt::Debug for CertificateAssertion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateAssertion")
            .field("thumbprint", &self.thumbprint)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl CertificateAssertion {
    fn sign(&self) -> std::result::Result<String, String> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let header = serde_json::json!({ "alg": "RS256", "typ": "JWT", "x5t": self.thumbprint });
        let claims = serde_json::json!({
            "aud": self.audience,
            "iss": self.client_id,
            "sub": self.client_id,
            "jti": uuid::Uuid::new_v4().to_string(),
            "iat": now,
            "nbf": now,
            "exp": now + ASSERTION_LIFETIME_SECONDS,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self
            .key
            .sign(signing_input.as_bytes())
            .map_err(|e| format!("signing the client assertion: {e}"))?;
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        ))
    }
}

#[async_trait]
impl ClientAssertion for CertificateAssertion {
    async fn secret(
        &self,
        _options: Option<ClientMethodOptions<'_>>,
    ) -> azure_core::Result<String> {
        self.sign().map_err(|message| {
            azure_core::Error::with_message(azure_core::error::ErrorKind::Credential, message)
        })
    }
}

/// Reads a federated token from a file on every request.
#[derive(Debug)]
struct FederatedTokenFile {
    path: PathBuf,
}

#[async_trait]
impl ClientAssertion for FederatedTokenFile {
    async fn secret(
        &self,
        _options: Option<ClientMethodOptions<'_>>,
    ) -> azure_core::Result<String> {
        let fail = |message: String| {
            azure_core::Error::with_message(azure_core::error::ErrorKind::Credential, message)
        };
        let text = tokio::fs::read_to_string(&self.path).await.map_err(|e| {
            fail(format!(
                "cannot read the federated token file '{}': {e}",
                self.path.display()
            ))
        })?;
        let token = text.trim();
        if token.is_empty() {
            return Err(fail(format!(
                "the federated token file '{}' is empty",
                self.path.display()
            )));
        }
        Ok(token.to_owned())
    }
}

/// Checks `tenantId` and `clientId` as every service-principal source does.
fn check_ids(tenant_id: &str, client_id: &str) -> Result<()> {
    super::check_tenant(tenant_id)?;
    if client_id.trim().is_empty() {
        return Err(Error::invalid_argument("clientId", "clientId '' is empty"));
    }
    Ok(())
}

fn assertion_options(
    authority_host: &url::Url,
    http: reqwest::Client,
) -> ClientAssertionCredentialOptions {
    let mut cloud = CustomConfiguration::default();
    cloud.authority_host = authority_host.as_str().trim_end_matches('/').to_owned();
    ClientAssertionCredentialOptions {
        client_options: ClientOptions {
            transport: Some(Transport::new(Arc::new(http))),
            cloud: Some(Arc::new(CloudConfiguration::from(cloud))),
            ..Default::default()
        },
    }
}

/// The certificate (DER) and PKCS#8 key (DER) of a PEM text.
fn read_pem(pem: &[u8]) -> Result<(Vec<u8>, rcgen::KeyPair)> {
    let bad = |message: String| Error::invalid_argument("certificate", message);
    let mut certificate = None;
    let mut key = None;
    for item in rustls_pemfile::read_all(&mut &pem[..]) {
        match item {
            Ok(rustls_pemfile::Item::X509Certificate(der)) if certificate.is_none() => {
                certificate = Some(der.to_vec());
            }
            Ok(rustls_pemfile::Item::Pkcs8Key(der)) if key.is_none() => key = Some(der),
            Ok(rustls_pemfile::Item::Pkcs1Key(_)) => {
                return Err(bad(
                    "the key is an 'RSA PRIVATE KEY' (PKCS#1); give it as an unencrypted \
                     PKCS#8 'PRIVATE KEY'"
                        .to_owned(),
                ));
            }
            Ok(_) => {}
            Err(_) => return Err(bad("the certificate is not readable PEM".to_owned())),
        }
    }
    let certificate =
        certificate.ok_or_else(|| bad("no CERTIFICATE block in the PEM".to_owned()))?;
    let key =
        key.ok_or_else(|| bad("no unencrypted PKCS#8 'PRIVATE KEY' block in the PEM".to_owned()))?;
    let key = rcgen::KeyPair::from_pkcs8_der_and_sign_algo(&key, &rcgen::PKCS_RSA_SHA256)
        .map_err(|_| bad("the private key is not an RSA key usable for RS256".to_owned()))?;
    Ok((certificate, key))
}

impl CredentialTokenSource {
    /// A service principal with a certificate: a client assertion JWT signed with its key.
    ///
    /// # Errors
    /// `InvalidArgument` naming `tenantId`, `clientId`, `certificatePath` or `certificate`
    /// when one is unusable; the message never holds key material.
    pub fn client_certificate(
        authority_host: &url::Url,
        tenant_id: &str,
        client_id: &str,
        certificate: &CertificateSource,
        http: reqwest::Client,
        clock: SharedClock,
    ) -> Result<Self> {
        check_ids(tenant_id, client_id)?;
        let pem = match certificate {
            CertificateSource::Path(path) => std::fs::read(path).map_err(|e| {
                Error::invalid_argument(
                    "certificatePath",
                    format!("cannot read certificate file '{}': {e}", path.display()),
                )
            })?,
            CertificateSource::Pem(text) => text.expose_secret().as_bytes().to_vec(),
        };
        let (der, key) = read_pem(&pem)?;
        let digest = sha1(&der);
        // The header carries base64url; the description shows the familiar hex thumbprint.
        let shown = hex_upper(&digest);
        let audience = format!(
            "{}/{tenant_id}/oauth2/v2.0/token",
            authority_host.as_str().trim_end_matches('/')
        );
        let assertion = CertificateAssertion {
            key,
            thumbprint: URL_SAFE_NO_PAD.encode(digest),
            client_id: client_id.to_owned(),
            audience,
        };
        let credential = ClientAssertionCredential::new(
            tenant_id.to_owned(),
            client_id.to_owned(),
            assertion,
            Some(assertion_options(authority_host, http)),
        )
        .map_err(|e| {
            Error::invalid_argument("credential", format!("certificate credential: {e}"))
        })?;
        Ok(CredentialTokenSource::new(
            credential,
            format!("certificate {shown} for application {client_id} in tenant {tenant_id}"),
            None,
            clock,
        ))
    }

    /// Workload identity federation: the token in `token_file` is the client assertion.
    ///
    /// # Errors
    /// `InvalidArgument` naming `tenantId`, `clientId` or `tokenFile`.
    pub fn workload_identity(
        authority_host: &url::Url,
        tenant_id: &str,
        client_id: &str,
        token_file: &std::path::Path,
        http: reqwest::Client,
        clock: SharedClock,
    ) -> Result<Self> {
        check_ids(tenant_id, client_id)?;
        if !token_file.is_file() {
            return Err(Error::invalid_argument(
                "tokenFile",
                format!(
                    "the federated token file '{}' does not exist",
                    token_file.display()
                ),
            ));
        }
        let credential = ClientAssertionCredential::new(
            tenant_id.to_owned(),
            client_id.to_owned(),
            FederatedTokenFile {
                path: token_file.to_owned(),
            },
            Some(assertion_options(authority_host, http)),
        )
        .map_err(|e| {
            Error::invalid_argument("credential", format!("workload identity credential: {e}"))
        })?;
        Ok(CredentialTokenSource::new(
            credential,
            format!("workload identity for application {client_id} in tenant {tenant_id}"),
            None,
            clock,
        ))
    }
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// SHA-1 (FIPS 180-4), used only for the certificate thumbprint Entra ID expects in `x5t`.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut message = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());

    for block in message.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (state, value) in h.iter_mut().zip([a, b, c, d, e]) {
            *state = state.wrapping_add(value);
        }
    }

    let mut out = [0u8; 20];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_matches_the_standard_test_vectors() {
        assert_eq!(
            hex_upper(&sha1(b"abc")),
            "A9993E364706816ABA3E25717850C26C9CD0D89D"
        );
        assert_eq!(
            hex_upper(&sha1(b"")),
            "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"
        );
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(
            hex_upper(&sha1(long)),
            "84983E441C3BD26EBAAE4AA1F95129E5E54670F1"
        );
    }

    fn fixture() -> std::path::PathBuf {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/test-certificate.pem")
    }

    fn openssl(args: &[&str]) -> std::process::Output {
        std::process::Command::new("openssl")
            .args(args)
            .output()
            .expect("the openssl command line tool checks the signature")
    }

    #[cfg(unix)]
    #[test]
    fn certificate_assertion_is_an_rs256_jwt_openssl_verifies() {
        let pem = std::fs::read(fixture()).expect("fixture");
        let (der, key) = read_pem(&pem).expect("usable certificate");
        let assertion = CertificateAssertion {
            key,
            thumbprint: URL_SAFE_NO_PAD.encode(sha1(&der)),
            client_id: "app-1".to_owned(),
            audience: "https://127.0.0.1:1/tenant/oauth2/v2.0/token".to_owned(),
        };
        let jwt = assertion.sign().expect("signed");
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).expect("b64")).expect("json");
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
        assert_eq!(header["alg"], "RS256");
        assert_eq!(claims["iss"], "app-1");
        assert_eq!(claims["sub"], "app-1");
        assert_eq!(
            claims["aud"],
            "https://127.0.0.1:1/tenant/oauth2/v2.0/token"
        );
        assert!(claims["exp"].as_i64() > claims["nbf"].as_i64());

        // x5t is the SHA-1 fingerprint openssl reports for the certificate.
        let path = fixture();
        let path = path.to_str().expect("utf-8 path");
        let fingerprint = openssl(&["x509", "-in", path, "-noout", "-fingerprint", "-sha1"]);
        let fingerprint = String::from_utf8_lossy(&fingerprint.stdout).replace(':', "");
        let x5t = URL_SAFE_NO_PAD
            .decode(header["x5t"].as_str().expect("x5t"))
            .expect("b64");
        assert!(
            fingerprint.trim().ends_with(&hex_upper(&x5t)),
            "{fingerprint}"
        );

        // The signature verifies with the certificate's public key.
        let dir = tempfile::tempdir().expect("tempdir");
        let public = dir.path().join("public.pem");
        let input = dir.path().join("input");
        let signature = dir.path().join("signature");
        let out = openssl(&["x509", "-in", path, "-noout", "-pubkey"]);
        std::fs::write(&public, out.stdout).expect("write");
        std::fs::write(&input, format!("{}.{}", parts[0], parts[1])).expect("write");
        std::fs::write(&signature, URL_SAFE_NO_PAD.decode(parts[2]).expect("b64")).expect("write");
        let verify = |input: &std::path::Path| {
            openssl(&[
                "dgst",
                "-sha256",
                "-verify",
                public.to_str().expect("utf-8"),
                "-signature",
                signature.to_str().expect("utf-8"),
                input.to_str().expect("utf-8"),
            ])
            .status
            .success()
        };
        assert!(verify(&input), "openssl rejects the signature");
        std::fs::write(&input, format!("{}.{}x", parts[0], parts[1])).expect("write");
        assert!(!verify(&input), "openssl accepts a tampered payload");
    }

    #[test]
    fn pkcs1_key_is_refused_with_a_hint() {
        let pem = b"-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        let err = read_pem(pem).expect_err("pkcs1 refused");
        assert_eq!(err.target.as_deref(), Some("certificate"));
        assert!(err.message.contains("PKCS#8"), "{}", err.message);
    }

    #[test]
    fn pem_without_certificate_is_refused() {
        let err = read_pem(b"").expect_err("empty refused");
        assert!(err.message.contains("CERTIFICATE"), "{}", err.message);
    }
}

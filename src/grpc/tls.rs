//! TLS for the gRPC servers (rustls, through tonic): the certificate and key the server shows,
//! and for mutual TLS the certificate authority that client certificates must be signed by.
//!
//! The files are read and their PEM checked here, at start-up, so a bad file is an error that
//! names it rather than a failure of the first handshake. tonic runs the handshakes on the
//! connections our listener yields, so the cap on connections counts them from their first byte.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tonic::transport::{Certificate, Identity, Server, ServerTlsConfig};

/// How long a client has to finish its TLS handshake: one that stalls would otherwise hold its
/// slot under the connection cap forever (tonic sets no limit of its own).
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The files TLS is configured from.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    /// The server's certificate chain, PEM, leaf first.
    pub cert: PathBuf,
    /// Its private key, PEM (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
    /// For mutual TLS: clients must present a certificate signed by this CA (PEM).
    pub client_ca: Option<PathBuf>,
}

/// A TLS file that could not be used; the message names it.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: String },
}

impl TlsFiles {
    /// Reads and checks the files, ready for [`crate::grpc::Options::tls`].
    pub fn load(&self) -> Result<ServerTlsConfig, TlsError> {
        let cert = certificates(&self.cert)?;
        let key = read(&self.key)?;
        if let Err(e) = PrivateKeyDer::from_pem_slice(&key) {
            return Err(invalid(&self.key, format!("no PEM private key ({e})")));
        }
        let mut config = ServerTlsConfig::new()
            .identity(Identity::from_pem(cert, key))
            .timeout(HANDSHAKE_TIMEOUT);
        if let Some(ca) = &self.client_ca {
            config = config.client_ca_root(Certificate::from_pem(certificates(ca)?));
        }
        // Builds rustls's configuration now, which checks that the key is the certificate's.
        if let Err(e) = Server::builder().tls_config(config.clone()) {
            let source = std::error::Error::source(&e).map_or(e.to_string(), |s| s.to_string());
            return Err(invalid(
                &self.key,
                format!("not usable with {}: {source}", self.cert.display()),
            ));
        }
        Ok(config)
    }
}

/// A PEM file's bytes, once checked to hold certificates only.
fn certificates(path: &Path) -> Result<Vec<u8>, TlsError> {
    let pem = read(path)?;
    let parsed: Result<Vec<_>, _> = CertificateDer::pem_slice_iter(&pem).collect();
    match parsed {
        Ok(certs) if !certs.is_empty() => Ok(pem),
        Ok(_) => Err(invalid(
            path,
            "no PEM certificate (BEGIN CERTIFICATE)".into(),
        )),
        Err(e) => Err(invalid(path, format!("not a PEM certificate: {e}"))),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read {
        path: path.display().to_string(),
        source,
    })
}

fn invalid(path: &Path, reason: String) -> TlsError {
    TlsError::Invalid {
        path: path.display().to_string(),
        reason,
    }
}

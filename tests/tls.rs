//! TLS and mutual TLS end to end: certificates made at test time (rcgen), a real server on
//! 127.0.0.1:0 set up from files as `counterclaim serve --tls-*` is, and real tonic clients.

mod util;

use std::path::{Path, PathBuf};

use counterclaim::grpc::pb::{GetServerInfoRequest, counterclaim_client::CounterclaimClient};
use counterclaim::grpc::{Options, Rejection, TlsFiles};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};
use util::TestServer;

/// A certificate authority that signs the server's and clients' certificates.
struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

/// A certificate and its key, PEM.
struct Pem {
    cert: String,
    key: String,
}

impl Ca {
    fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        Self { issuer }
    }

    fn pem(&self) -> String {
        self.issuer.pem()
    }

    fn sign(&self, name: &str, usage: ExtendedKeyUsagePurpose) -> Pem {
        let mut params = CertificateParams::new(vec![name.to_owned()]).unwrap();
        params.distinguished_name.push(DnType::CommonName, name);
        params.extended_key_usages = vec![usage];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Pem {
            cert: cert.pem(),
            key: key.serialize_pem(),
        }
    }
}

/// The server's files in `dir`: a certificate for `localhost` signed by `ca`, its key, and for
/// mutual TLS the CA of client certificates.
fn server_files(dir: &Path, ca: &Ca, client_ca: Option<&Ca>) -> TlsFiles {
    let server = ca.sign("localhost", ExtendedKeyUsagePurpose::ServerAuth);
    let write = |name: &str, text: &str| -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    TlsFiles {
        cert: write("server.crt", &server.cert),
        key: write("server.key", &server.key),
        client_ca: client_ca.map(|ca| write("client-ca.crt", &ca.pem())),
    }
}

async fn tls_server(files: &TlsFiles, options: Options) -> TestServer {
    TestServer::with(Options {
        tls: Some(files.load().expect("the TLS files load")),
        ..options
    })
    .await
}

/// One call over a new connection: `Ok` if it was answered, else why not.
async fn call(url: String, tls: Option<ClientTlsConfig>) -> Result<(), String> {
    let mut endpoint = Channel::from_shared(url).unwrap();
    if let Some(tls) = tls {
        endpoint = endpoint.tls_config(tls).map_err(|e| e.to_string())?;
    }
    let channel = endpoint.connect().await.map_err(|e| format!("{e:?}"))?;
    CounterclaimClient::new(channel)
        .get_server_info(GetServerInfoRequest {})
        .await
        .map(drop)
        .map_err(|e| format!("{e:?}"))
}

fn https(server: &TestServer) -> String {
    format!("https://{}", server.addr)
}

/// A client that trusts `ca` and checks the server's name as `localhost`.
fn trusting(ca: &Ca) -> ClientTlsConfig {
    ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca.pem()))
        .domain_name("localhost")
}

fn with_identity(tls: ClientTlsConfig, client: &Pem) -> ClientTlsConfig {
    tls.identity(Identity::from_pem(&client.cert, &client.key))
}

#[tokio::test]
async fn a_tls_client_is_answered_and_a_plaintext_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("test CA");
    let server = tls_server(&server_files(dir.path(), &ca, None), Options::default()).await;
    call(https(&server), Some(trusting(&ca))).await.unwrap();
    let plaintext = call(server.url(), None).await;
    assert!(plaintext.is_err(), "a plaintext client was answered");
    let other = Ca::new("another CA");
    let untrusted = call(https(&server), Some(trusting(&other))).await;
    assert!(
        untrusted.is_err(),
        "a certificate from an unknown CA was accepted"
    );
}

#[tokio::test]
async fn mutual_tls_answers_only_clients_with_a_certificate_from_its_ca() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("server CA");
    let clients = Ca::new("client CA");
    let files = server_files(dir.path(), &ca, Some(&clients));
    let server = tls_server(&files, Options::default()).await;

    let client = clients.sign("moderation-tool", ExtendedKeyUsagePurpose::ClientAuth);
    call(https(&server), Some(with_identity(trusting(&ca), &client)))
        .await
        .unwrap();

    let without = call(https(&server), Some(trusting(&ca))).await;
    // The handshake fails: the server asks for a certificate and gets none, or one it does not
    // trust.
    let without = without.expect_err("a client without a certificate was answered");
    assert!(without.contains("CertificateRequired"), "{without}");
    let stranger = Ca::new("another CA").sign("intruder", ExtendedKeyUsagePurpose::ClientAuth);
    let foreign = call(
        https(&server),
        Some(with_identity(trusting(&ca), &stranger)),
    )
    .await;
    let foreign = foreign.expect_err("a client certificate from another CA was accepted");
    assert!(foreign.contains("UnknownCA"), "{foreign}");
    assert!(call(server.url(), None).await.is_err());
}

#[tokio::test]
async fn the_connection_cap_holds_with_tls() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("test CA");
    let options = Options {
        max_connections: 1,
        ..Options::default()
    };
    let server = tls_server(&server_files(dir.path(), &ca, None), options).await;
    let channel = Channel::from_shared(https(&server))
        .unwrap()
        .tls_config(trusting(&ca))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut first = CounterclaimClient::new(channel);
    first
        .get_server_info(GetServerInfoRequest {})
        .await
        .unwrap();
    assert!(call(https(&server), Some(trusting(&ca))).await.is_err());
    assert_eq!(server.counters.rejected(Rejection::ConnectionsFull), 1);
    first
        .get_server_info(GetServerInfoRequest {})
        .await
        .unwrap();
}

#[test]
fn bad_tls_files_are_refused_at_start_up_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("test CA");
    let files = server_files(dir.path(), &ca, None);
    files.load().unwrap();

    let missing = TlsFiles {
        cert: dir.path().join("nowhere.crt"),
        ..files.clone()
    };
    let error = missing.load().unwrap_err().to_string();
    assert!(error.contains("nowhere.crt"), "{error}");

    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "not a certificate\n").unwrap();
    for (files, name) in [
        (
            TlsFiles {
                cert: garbage.clone(),
                ..files.clone()
            },
            "cert",
        ),
        (
            TlsFiles {
                key: garbage.clone(),
                ..files.clone()
            },
            "key",
        ),
        (
            TlsFiles {
                client_ca: Some(garbage.clone()),
                ..files.clone()
            },
            "client CA",
        ),
    ] {
        let error = files.load().unwrap_err().to_string();
        assert!(error.contains("garbage.pem"), "{name}: {error}");
    }

    // A key that is not the certificate's.
    let other = ca.sign("localhost", ExtendedKeyUsagePurpose::ServerAuth);
    let other_key = dir.path().join("other.key");
    std::fs::write(&other_key, other.key).unwrap();
    let mismatched = TlsFiles {
        key: other_key,
        ..files
    };
    let error = mismatched.load().unwrap_err().to_string();
    assert!(
        error.contains("other.key") && error.contains("server.crt"),
        "{error}"
    );
}

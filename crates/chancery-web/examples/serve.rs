//! Serves an archive: `cargo run -p chancery-web --example serve -- DATA [ADDR]`.

use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let mut args = std::env::args().skip(1);
    let data = args.next().ok_or("usage: serve DATA [ADDR]")?;
    let addr = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:8080".into())
        .parse()?;
    let archive = Arc::new(chancery_archive::Archive::open(std::path::Path::new(
        &data,
    ))?);
    // The index is derived from the catalog: bring it up to date before serving.
    archive.catch_up()?;
    chancery_web::serve_blocking(archive, addr, chancery_web::ServeOptions::default())?;
    Ok(())
}

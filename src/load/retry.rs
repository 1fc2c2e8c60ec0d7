//! Retrying a load after a transient failure, with a bounded backoff.

use crate::browser::schedule::sleep;
use crate::core::LoadError;

/// Waits before the second and third attempts.
pub(super) const RETRY_DELAYS_MS: [i32; 2] = [1_000, 3_000];

/// Runs `attempt` (given the retry number, 0 first) until it succeeds,
/// fails for good, or has been retried after each of [`RETRY_DELAYS_MS`].
pub(super) async fn with_retries<T, F: std::future::Future<Output = Result<T, LoadError>>>(
    mut attempt: impl FnMut(u32) -> F,
) -> Result<T, LoadError> {
    let mut retry = 0;
    loop {
        match attempt(retry).await {
            Err(error) if error.is_transient() && (retry as usize) < RETRY_DELAYS_MS.len() => {
                sleep(RETRY_DELAYS_MS[retry as usize]).await;
                retry += 1;
            }
            result => return result,
        }
    }
}

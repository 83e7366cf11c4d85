using System.ClientModel;

namespace GenRM.Remote;

/// <summary>Retries a request that failed for a reason that may pass (connection refused or reset, timeout, 408, 429, 5xx), with exponential backoff and jitter.</summary>
internal static class TransientRetry
{
    public static async Task<T> Run<T>(Func<CancellationToken, Task<T>> request, RemoteSamplingConfig config, Action onRetry, CancellationToken cancellation)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await request(cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < config.MaxRetries && IsTransient(e, cancellation))
            {
                onRetry();
                double jitter = 0.5 + Random.Shared.NextDouble();
                await Task.Delay(config.InitialBackoff * Math.Pow(2, attempt) * jitter, cancellation).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether a failure may pass on retry; a cancellation the caller asked for never does.</summary>
    public static bool IsTransient(Exception e, CancellationToken cancellation) => e switch
    {
        _ when cancellation.IsCancellationRequested => false,
        ClientResultException { Status: 0 or 408 or 429 or >= 500 } => true,
        HttpRequestException or TimeoutException or OperationCanceledException => true,
        _ => e.InnerException is not null && IsTransient(e.InnerException, cancellation),
    };
}

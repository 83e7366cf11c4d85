using System.Runtime.InteropServices;

namespace GenRM.Cli;

/// <summary>
/// Ctrl+C (SIGINT) or SIGTERM during long work: the first asks the work to stop at its next step or
/// batch, so everything it saves is whole, and says at once how to continue; a second ends the process
/// as the default would (still safe: every file is written whole or not at all). Without this, the
/// signal ended the process where it stood and said nothing.
/// </summary>
internal sealed class GracefulStop : IDisposable
{
    readonly CancellationTokenSource source;
    readonly PosixSignalRegistration interrupt, terminate;

    /// <param name="error">Where the notice goes.</param>
    /// <param name="howToContinue">What continues the work, e.g. "`genrm reproduce --resume runs/x` continues from what was saved".</param>
    /// <param name="cancellation">A stop asked for otherwise, also honoured.</param>
    public GracefulStop(TextWriter error, string howToContinue, CancellationToken cancellation)
    {
        source = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        void Stop(PosixSignalContext signal)
        {
            if (source.IsCancellationRequested)
                return; // the second: the default, which ends the process
            signal.Cancel = true;
            error.WriteLine($"genrm: stopping at the next step or batch (press Ctrl+C again to end at once); {howToContinue}.");
            source.Cancel();
        }
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => source.Token;

    public void Dispose()
    {
        interrupt.Dispose();
        terminate.Dispose();
        source.Dispose();
    }
}

using System.CommandLine;

namespace GenRM.Cli;

/// <summary>
/// Runs the parsed command line with the workbench's exit-code contract: 0 success, 1 bad input
/// (one line on standard error naming the file and the problem), 2 bad usage, 130 interrupted,
/// 70 an internal error (a bug: one line naming the exception, never a stack trace).
/// </summary>
internal static class CommandRunner
{
    public const int Success = 0;
    public const int BadInput = 1;
    public const int BadUsage = 2;
    public const int InternalError = 70;

    public static int Run(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
                error.WriteLine($"genrm: {problem.Message}");
            error.WriteLine("Run 'genrm --help' for usage.");
            return BadUsage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (BadInputException e)
        {
            error.WriteLine($"genrm: {e.Message}");
            return BadInput;
        }
        // A run that went numerically wrong: its message names the step or the judge; no stack trace.
        catch (Exception e) when (e is Training.TrainingDivergedException or Judging.NonFiniteScoresException or Generation.ContextLengthExceededException)
        {
            error.WriteLine($"genrm: {e.Message}");
            return BadInput;
        }
        catch (UsageException e)
        {
            error.WriteLine($"genrm: {e.Message}");
            return BadUsage;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("genrm: stopped.");
            return 130;
        }
        // Anything else is a bug rather than the user's mistake; it still ends in one line, not a stack
        // trace, with the sysexits code for an internal software error so scripts can tell it apart.
        catch (Exception e)
        {
            error.WriteLine($"genrm: internal error ({e.GetType().Name}): {e.Message}");
            return InternalError;
        }
    }
}

/// <summary>The command line itself is wrong (an option out of range, options that exclude each other).</summary>
internal sealed class UsageException(string message) : Exception(message);

using System.CommandLine;
using System.Net;
using GenRM.Reporting;
using GenRM.Runtime;
using GenRM.Serving;

namespace GenRM.Cli;

/// <summary><c>genrm serve</c>: a model folder or trained judge behind an OpenAI-compatible endpoint and <c>/v1/preference</c>, until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder: Hugging Face layout, a MiniWorld model, or a judge from 'genrm reproduce' (runs/.../methods/<method>/model).", Required = true };
        var port = new Option<int>("--port") { Description = "TCP port (0: any free port).", DefaultValueFactory = _ => 8000 };
        var host = new Option<string>("--host") { Description = "Address to bind; anything but loopback exposes an unauthenticated endpoint.", DefaultValueFactory = _ => "127.0.0.1" };
        var judge = new Option<string?>("--judge") { Description = "Judge behind /v1/preference (default: the method the folder was trained for, else zero-shot)." };
        var name = new Option<string?>("--name") { Description = "Model id clients ask for (default: the method of a trained judge, else the folder's name)." };
        var votes = new Option<int>("--votes") { Description = "Sampled verdicts per preference for chain-of-thought judges.", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Seed of the judge's sampling and of chat requests that give none.", DefaultValueFactory = _ => 1 };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "Largest request body (larger: 413).", DefaultValueFactory = _ => 1 << 20 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds a request may wait for the model before 503.", DefaultValueFactory = _ => 120 };
        var batch = new Option<int>("--max-batch") { Description = "Concurrent requests combined into one forward pass at most.", DefaultValueFactory = _ => 16 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto.", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0: libtorch's default)." };
        var templateArgs = TemplateArgumentOption.Create();
        var command = new Command("serve", "Serve a model or trained judge: OpenAI-compatible /v1/chat/completions and /v1/models, and /v1/preference.")
            { model, port, host, judge, name, votes, seed, maxBody, timeout, batch, device, threads, templateArgs };
        command.SetAction(async (parsed, cancellation) =>
        {
            if (!IPAddress.TryParse(parsed.GetValue(host), out IPAddress? address))
                throw new UsageException($"--host '{parsed.GetValue(host)}' is not an IP address (e.g. 127.0.0.1).");
            if (parsed.GetValue(judge) is { } method && !StudyOrder.Methods.Contains(method))
                throw new UsageException($"unknown judge '{method}'; known: {string.Join(", ", StudyOrder.Methods)}.");
            ServerConfig config;
            try
            {
                config = new ServerConfig
                {
                    Host = address.ToString(),
                    Port = parsed.GetValue(port),
                    MaxBodyBytes = parsed.GetValue(maxBody),
                    RequestTimeout = TimeSpan.FromSeconds(parsed.GetValue(timeout)),
                    MaxBatchRequests = parsed.GetValue(batch),
                    Seed = parsed.GetValue(seed),
                }.Validated();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new UsageException(e.Message);
            }
            TorchRuntime.SetThreads(parsed.GetValue(threads));
            var output = parsed.InvocationConfiguration.Output;
            using var served = ServedModel.Load(parsed.GetValue(model)!, parsed.GetValue(judge), parsed.GetValue(name), TorchRuntime.ResolveDevice(parsed.GetValue(device)!),
                parsed.GetValue(votes), parsed.GetValue(seed), TemplateArgumentOption.Parse(parsed.GetValue(templateArgs)));
            await using var server = await JudgeServer.StartAsync(served, config, cancellation: cancellation, log: output);
            output.WriteLine($"Serving '{served.Id}' (judge {served.JudgeMethod}) at {server.Address}v1 : GET /v1/models, POST /v1/chat/completions, POST /v1/preference, "
                + "POST /v1/load_lora_adapter, POST /v1/unload_lora_adapter, POST /update_weights_from_disk. Ctrl+C stops.");
            if (!IPAddress.IsLoopback(address))
                output.WriteLine($"Warning: bound to {address}, beyond loopback; the endpoint has no authentication.");
            // Ctrl+C and SIGTERM reach the host's console lifetime, which stops the server and ends this wait.
            await server.WaitForShutdownAsync(cancellation);
            output.WriteLine("Stopped.");
            return CommandRunner.Success;
        });
        return command;
    }
}

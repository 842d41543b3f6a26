using Junction.Server.Cli;

return await JunctionCommandLine.Create().Parse(args).InvokeAsync();

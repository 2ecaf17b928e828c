# I15: a registry that is not running: each call raises ArgumentError at once; the caller goes on.
Code.require_file("i_help.exs", __DIR__)
T.show("lookup", try do Registry.lookup(Nope, "k") rescue e -> e.__struct__ end)
T.show("register", try do Registry.register(Nope, "k", 1) rescue e -> e.__struct__ end)
T.show("count", try do Registry.count(Nope) rescue e -> e.__struct__ end)
T.show("via_call", try do GenServer.call({:via, Registry, {Nope, "k"}}, :get) rescue e -> e.__struct__ catch :exit, r -> {:exit, r} end)
T.show("still_alive", Process.alive?(self()))

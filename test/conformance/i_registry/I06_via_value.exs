# I06: a via name with a value registers the server with that value; a failing init frees the key.
Code.require_file("i_help.exs", __DIR__)
{:ok, _} = Registry.start_link(keys: :unique, name: R)
{:ok, pid} = GenServer.start(Counter, 0, name: {:via, Registry, {R, "v", :meta}})
T.name(pid, "server")
T.show("lookup", Registry.lookup(R, "v"))
T.show("failed_init", GenServer.start(Failing, :no_config, name: {:via, Registry, {R, "bad"}}))
T.show("lookup_bad", Registry.lookup(R, "bad"))
T.show("count", Registry.count(R))

# I05: a via name names a GenServer for start, call, cast and stop; a second start under the
# taken name returns already_started; the key goes with the server.
Code.require_file("i_help.exs", __DIR__)
{:ok, _} = Registry.start_link(keys: :unique, name: R)
name = {:via, Registry, {R, "c1"}}
{:ok, pid} = GenServer.start(Counter, 5, name: name)
T.name(pid, "server")
T.show("lookup", Registry.lookup(R, "c1"))
T.show("whereis", GenServer.whereis(name))
GenServer.cast(name, :add)
T.show("call", GenServer.call(name, :get))
T.show("again", GenServer.start(Counter, 0, name: name))
T.show("stop", GenServer.stop(name))
T.show("lookup_after", Registry.lookup(R, "c1"))
T.show("whereis_after", GenServer.whereis(name))

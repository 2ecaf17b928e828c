# I08: a call through a via name to a server that does not answer exits with timeout; the server
# and its key stay.
Code.require_file("i_help.exs", __DIR__)
{:ok, _} = Registry.start_link(keys: :unique, name: R)
name = {:via, Registry, {R, "slow"}}
{:ok, pid} = GenServer.start(Counter, 0, name: name)
T.name(pid, "server")
T.show("call", C.exit_of(fn -> GenServer.call(name, :hang, 50) end) |> elem(0))
T.show("alive", Process.alive?(pid))
T.show("lookup", Registry.lookup(R, "slow"))

# I07: a via name nobody holds: cast returns ok, call exits noproc, send through the module raises badarg.
Code.require_file("i_help.exs", __DIR__)
{:ok, _} = Registry.start_link(keys: :unique, name: R)
name = {:via, Registry, {R, "nobody"}}
T.show("whereis", GenServer.whereis(name))
T.show("cast", GenServer.cast(name, :add))
T.show("call", C.exit_of(fn -> GenServer.call(name, :get) end) |> elem(0))
T.show("send", try do Registry.send({R, "nobody"}, :hi) rescue e -> e.__struct__ end)
T.show("stop", C.exit_of(fn -> GenServer.stop(name) end))

# I16: a via name on a duplicate registry is refused with ArgumentError; update_value too.
Code.require_file("i_help.exs", __DIR__)
{:ok, _} = Registry.start_link(keys: :duplicate, name: R)
T.show("whereis", try do GenServer.whereis({:via, Registry, {R, "k"}}) rescue e -> e.__struct__ end)
T.show("update_value", try do Registry.update_value(R, "k", & &1) rescue e -> e.__struct__ end)

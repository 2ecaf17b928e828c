# I14: match, count_match and unregister_match select entries under a key by their value.
Code.require_file("i_help.exs", __DIR__)
{:ok, _} = Registry.start_link(keys: :duplicate, name: R)
a = T.idle(); T.name(a, "a")
T.run(a, fn -> for n <- [1, 2, 3], do: Registry.register(R, "n", n) end)
T.show("match", Registry.match(R, "n", :"$1", [{:>, :"$1", 1}]))
T.show("count_match", Registry.count_match(R, "n", :"$1", [{:>, :"$1", 1}]))
T.run(a, fn -> Registry.unregister_match(R, "n", :"$1", [{:"/=", :"$1", 2}]) end)
T.show("lookup", Registry.lookup(R, "n"))

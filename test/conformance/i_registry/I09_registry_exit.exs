# I09: a registry that is killed takes its registered processes with it: one that does not trap
# exits dies, one that traps gets an EXIT; the registry is gone.
Code.require_file("i_help.exs", __DIR__)
Process.flag(:trap_exit, true)
{:ok, reg} = Registry.start_link(keys: :unique, name: R)
plain = T.idle(); T.name(plain, "plain")
trapping = T.idle(true); T.name(trapping, "trapping")
T.run(plain, fn -> Registry.register(R, "p", nil) end)
T.run(trapping, fn -> Registry.register(R, "t", nil) end)
ref = Process.monitor(plain)
Process.exit(reg, :kill)
receive do {:DOWN, ^ref, _, _, reason} -> T.show("plain_reason", reason) after 2000 -> T.show("plain_reason", :none) end
T.show("trapping_got", T.run(trapping, fn -> T.mailbox() |> Enum.map(fn {:EXIT, _, r} -> {:EXIT, r} end) end))
T.show("lookup", try do Registry.lookup(R, "t") rescue e -> e.__struct__ end)

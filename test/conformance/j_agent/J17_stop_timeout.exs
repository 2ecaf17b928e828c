# id: J17
# title: stop with a timeout while the agent is busy: the caller exits with timeout, and the agent stops once free
Code.require_file("j_help.exs", __DIR__)
{:ok, a} = Agent.start(fn -> 1 end)
ref = Process.monitor(a)
Agent.cast(a, fn s -> Process.sleep(200); s end)
J.show("stop", J.call_exit(fn -> Agent.stop(a, :normal, 50) end))
J.show("alive", Process.alive?(a))
J.show("down", J.down(ref))

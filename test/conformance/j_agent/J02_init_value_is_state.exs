# id: J02
# title: whatever the init function returns is the state, even :ignore or {:stop, r}; init runs in the agent
Code.require_file("j_help.exs", __DIR__)
me = self()
{:ok, a} = Agent.start(fn -> send(me, {:init_in, self()}); :ignore end)
J.name(a, :agent)
J.show("get", Agent.get(a, & &1))
J.show("mailbox", J.mailbox())
{:ok, b} = Agent.start(fn -> {:stop, :no} end)
J.show("get", Agent.get(b, & &1))
{:ok, c} = Agent.start(fn -> nil end)
J.show("get", Agent.get(c, & &1))

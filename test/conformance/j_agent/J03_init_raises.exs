# id: J03
# title: an init function that raises: start returns {:error, {exception, stack}}, no agent is left
Code.require_file("j_help.exs", __DIR__)
J.show("start", Agent.start(fn -> raise "boom" end, name: :j03))
J.show("whereis", Process.whereis(:j03))

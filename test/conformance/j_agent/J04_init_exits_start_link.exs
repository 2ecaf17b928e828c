# id: J04
# title: start_link with an init that exits: start_link returns {:error, reason}, and a trapping caller gets the EXIT
Code.require_file("j_help.exs", __DIR__)
Process.flag(:trap_exit, true)
_ = J.mailbox() # the EXIT of a helper the elixir command linked to this process, which is not the scenario's
J.show("start_link", Agent.start_link(fn -> exit(:bad_config) end))
J.show("mailbox", J.mailbox())
J.show("start_link", Agent.start_link(fn -> exit(:normal) end))
J.show("mailbox", J.mailbox())

# id: J13
# title: a name nobody holds: get, update and get_and_update exit with noproc; cast returns :ok
Code.require_file("j_help.exs", __DIR__)
J.show("get", J.call_exit(fn -> Agent.get(:nobody, & &1) end))
J.show("update", J.call_exit(fn -> Agent.update(:nobody, & &1) end))
J.show("get_and_update", J.call_exit(fn -> Agent.get_and_update(:nobody, &{&1, &1}) end))
J.show("cast", Agent.cast(:nobody, & &1))
J.show("stop", J.call_exit(fn -> Agent.stop(:nobody) end))

# I03: a process's entries go when it exits, whether it crashes, exits normally or is killed.
Code.require_file("i_help.exs", __DIR__)

defmodule I03 do
  def case_of(label) do
    test = self()
    p = spawn(fn ->
      Registry.register(R, label, nil)
      send(test, :registered)
      receive do
        :crash -> raise "boom"
        :normal -> :ok
      end
    end)
    T.name(p, "p")
    receive do :registered -> :ok end
    T.show("#{label}_before", Registry.lookup(R, label))
    ref = Process.monitor(p)
    if label == "killed", do: Process.exit(p, :kill), else: send(p, String.to_atom(label))
    reason = T.await_down(ref)
    :sys.get_state(Process.whereis(R.PIDPartition0)) # the partition has handled the EXIT
    T.show("#{label}_reason", if(is_tuple(reason), do: {elem(reason, 0).__struct__}, else: reason))
    T.show("#{label}_after", Registry.lookup(R, label))
    T.show("#{label}_keys", Registry.keys(R, p))
  end
end

{:ok, _} = Registry.start_link(keys: :unique, name: R)
Enum.each(["crash", "normal", "killed"], &I03.case_of/1)
T.show("count", Registry.count(R))

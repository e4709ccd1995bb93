"""The Playground app's own library: what the pages call, in feature packages.

| package    | owns                                                                 | may import       |
|------------|----------------------------------------------------------------------|------------------|
| ``core``   | what every feature shares: the config and its URL, the classroom     | nn_core          |
|            | settings of a link, goals, lessons, the experiment, session keys     |                  |
| ``figures``| Plotly figure builders (``*_figure``): arrays in, figures out         | core             |
| ``live``   | the Playground page's live loop: controls, ticks, frames, the live   | core, figures    |
|            | component, workers                                                   |                  |
| ``learn``  | the Learn pages: backprop stepper, tutorial, hidden space            | core, figures    |
| ``teach``  | the Teach pages: TensorFlow Playground links                         | core, figures    |
| ``compare``| Compare runs                                                         | core, figures    |
| ``files``  | your data in (CSV upload) and the run out (CSV, weights, a script)   | core, figures    |
| ``challenge``| class challenges: rules, replay verification, the SQL store, the   | core, figures    |
|            | board                                                                |                  |

Dependencies point one way: pages -> features -> figures -> core -> nn_core. Features never import
each other; what two of them share lives in ``core``. ``tests/test_layers.py`` enforces this.
"""

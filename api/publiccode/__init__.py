"""publiccode.yml for solutions: export one, import (create or update) from one."""

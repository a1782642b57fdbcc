// Placeholder so the module exists while its parts land; replaced by the trainers.
#include "datadao/ml/train.hpp"
